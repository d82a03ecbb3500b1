"""Import, export and one person once: LinkedIn, vCard, Google, Outlook and calendars in;
vCard, CSV and the JSON backup out."""
