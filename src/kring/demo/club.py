"""The demo club: a business club in the Kempen of about 40 members and their networks.

Made from a fixed seed with Faker's nl_BE and nl_NL locales, so every page has something real
to show: 150–600 contacts per member, 18 months of interactions on every channel, favours,
asks, intelligence notes, competitor links and what members share with the club; and a year of
club life (kring.demo.life): monthly dinners seated by the seating engine, referrals and
one-to-ones. The members run businesses in Kempen towns (Geel, Turnhout, Mol, Herentals, …) and
their organiser speaks Dutch; their contacts are mostly Flemish (the provinces of Antwerp and
Limburg, Flemish Brabant; Belgian phone numbers), with some Dutch ones from over the border.

Loading writes tens of thousands of rows, so it inserts in bulk inside one transaction instead
of calling the one-row actions; it is itself the action for "load the demo club".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.core.asks import DEFAULT_SECTORS
from kring.core.dates import at_local_time, local_date
from kring.core.names import sort_key, split_name
from kring.demo.life import club_dinners, load_club_year
from kring.lib import clock
from kring.lib.bulk import BulkTable, refresh_statistics
from kring.people.models import (
    Ask,
    Channel,
    ContactPoint,
    Favour,
    IntelligenceNote,
    Interaction,
    Organisation,
    Person,
    Relationship,
    Share,
    ShareLevel,
    Tag,
    Tier,
)
from kring.workspaces.models import Membership, Workspace

DEMO_DOMAIN = "demo.kring.be"
DEMO_PASSWORD = "kring-demo"
CLUB_NAME = "Businessclub De Kempen"

# What a member of each sector offers the club and whom they seek (the member profile).
OFFERS = {
    "ICT": "Software op maat en IT-beheer voor kmo's",
    "Bouw": "Nieuwbouw en renovatie van bedrijfspanden",
    "Zorg": "Thuiszorg en welzijn op het werk",
    "Financiële diensten": "Kredieten, leasing en verzekeringen voor ondernemers",
    "Logistiek": "Transport en opslag in de Benelux",
    "Retail": "Winkelinrichting en verkooppunten",
    "Horeca": "Catering en zalen voor bedrijfsevents",
    "Advocatuur": "Ondernemingsrecht, contracten en overnames",
    "Accountancy": "Boekhouding, fiscaliteit en opvolging van kmo's",
    "Marketing": "Merkstrategie, websites en campagnes",
    "Industrie": "Metaalbewerking en productie op bestelling",
    "Energie": "Zonnepanelen, laadpalen en energie-audits",
    "Onderwijs": "Opleidingen en coaching voor teams",
    "Vastgoed": "Kantoren en bedrijfsruimte te huur en te koop",
    "Farma": "Kwaliteitsbeheer en registratie van producten",
    "Consultancy": "Procesverbetering en begeleiding bij groei",
    "Overheid": "Subsidies en vergunningen voor ondernemers",
    "Landbouw": "Lokale producten voor bedrijfsrestaurants",
}
SEEKING = {
    "ICT": "Zaakvoerders van kmo's met 10-50 medewerkers",
    "Bouw": "Bedrijven die uitbreiden of verhuizen",
    "Zorg": "HR-managers van middelgrote bedrijven",
    "Financiële diensten": "Starters en groeiende familiebedrijven",
    "Logistiek": "Webshops en groothandels met veel zendingen",
    "Retail": "Ketens die nieuwe winkels openen",
    "Horeca": "Organisatoren van personeelsfeesten en seminaries",
    "Advocatuur": "Bedrijven in een overname of opvolging",
    "Accountancy": "Ondernemers die hun eerste personeel aannemen",
    "Marketing": "B2B-bedrijven die online willen groeien",
    "Industrie": "Aankopers in de machinebouw",
    "Energie": "Eigenaars van bedrijfsgebouwen",
    "Onderwijs": "Bedrijven met een leerbeleid",
    "Vastgoed": "Groeiende bedrijven op zoek naar ruimte",
    "Farma": "Kleine producenten die naar het buitenland willen",
    "Consultancy": "Familiebedrijven in een groeifase",
    "Overheid": "Starters met een bouwproject",
    "Landbouw": "Bedrijfsrestaurants en cateraars",
}

# The columns the demo fills in its largest tables (kring.lib.bulk inserts them directly).
PERSON_COLUMNS = [
    "owner_id", "given_name", "particles", "surname", "sort_name", "linkedin_url", "title",
    "organisation_id", "sector", "region", "languages", "birthday", "interests", "hobbies",
    "family_notes",
]  # fmt: skip
INTERACTION_COLUMNS = [
    "owner_id", "occurred_at", "channel", "minutes", "initiated_by", "answered", "summary",
]  # fmt: skip

# The sectors the ask parser knows, so that demo asks match demo people.
SECTORS = list(DEFAULT_SECTORS)
# Where organisations are: a region (the province, as the ask parser and the filters know it),
# and in it places with their telephone zone. The Kempen comes first: the club meets there.
KEMPEN = {
    "Geel": "14", "Turnhout": "14", "Mol": "14", "Herentals": "14", "Westerlo": "14",
    "Kasterlee": "14", "Balen": "14", "Dessel": "14", "Retie": "14", "Arendonk": "14",
    "Hoogstraten": "3", "Olen": "14", "Herselt": "14", "Laakdal": "13", "Meerhout": "14",
    "Vorselaar": "14", "Lille": "14", "Beerse": "14", "Oud-Turnhout": "14", "Grobbendonk": "14",
}  # fmt: skip
PLACES_BE = {
    "Antwerpen": {**KEMPEN, "Antwerpen": "3", "Mechelen": "15", "Lier": "3", "Nijlen": "3",
                  "Heist-op-den-Berg": "15"},
    "Limburg": {"Hasselt": "11", "Genk": "89", "Lommel": "11", "Beringen": "11",
                "Leopoldsburg": "11", "Tessenderlo": "13", "Pelt": "11", "Peer": "11",
                "Houthalen-Helchteren": "11", "Heusden-Zolder": "11", "Sint-Truiden": "11"},
    "Vlaams-Brabant": {"Leuven": "16", "Aarschot": "16", "Diest": "13", "Tienen": "16",
                       "Scherpenheuvel-Zichem": "13", "Haacht": "16", "Vilvoorde": "2"},
}  # fmt: skip
# Of the Belgian organisations: in the Kempen, elsewhere in the province of Antwerp, Limburg,
# Flemish Brabant.
WEIGHTS_BE = [("Kempen", 45), ("Antwerpen", 15), ("Limburg", 25), ("Vlaams-Brabant", 15)]
PLACES_NL = {
    "Noord-Brabant": ["Eindhoven", "Tilburg", "Breda", "'s-Hertogenbosch", "Helmond",
                      "Veldhoven", "Baarle-Nassau"],
    "Limburg (NL)": ["Maastricht", "Venlo", "Weert", "Roermond"],
}  # fmt: skip
DUTCH_ORGANISATIONS = 0.12  # the share of organisations over the border
DUTCH_AT_BELGIAN = 0.05  # the share of Dutch people among those who work in Belgium
LEGAL_FORMS_BE = ["BV", "NV", "BV", "CommV", "VOF"]
ROLES = [
    "zaakvoerder",
    "CEO",
    "CFO",
    "HR-manager",
    "salesmanager",
    "R&D-manager",
    "aankoper",
    "marketingmanager",
    "accountmanager",
    "projectleider",
    "consultant",
    "advocaat",
    "boekhouder",
    "architect",
    "IT-manager",
    "operations manager",
    "bestuurder",
]
INTERESTS = [
    "wielrennen",
    "golf",
    "jazz",
    "wijn",
    "koken",
    "zeilen",
    "lopen",
    "fotografie",
    "tennis",
    "padel",
    "lezen",
    "reizen",
    "tuinieren",
    "kunst",
    "voetbal (KRC Genk)",
    "voetbal (KVC Westerlo)",
    "paardrijden",
    "skiën",
]
HOW_MET = [
    "clubavond",
    "netwerkevent Voka Kempen",
    "via een klant",
    "LinkedIn",
    "studiegenoot",
    "beurs",
    "Open Coffee Turnhout",
    "vorige werkgever",
    "sportclub",
    "introductie",
]
NOTE_TOPICS = [
    ("De bouwsector wacht op de nieuwe vergunningsregels; projecten schuiven door.", "bouw"),
    ("Grote klanten vragen nu CO₂-rapportering van hun leveranciers.", "duurzaamheid"),
    ("Personeel vinden blijft het grootste probleem, vooral technici.", "arbeidsmarkt"),
    ("Een concurrent gaat failliet; hun klanten zoeken een nieuwe partner.", "kansen"),
    ("Banken zijn strenger geworden voor investeringskredieten.", "financiering"),
    ("Er komt een nieuwe subsidieronde voor digitalisering van kmo's.", "subsidies"),
    ("Farmabedrijven in Beerse en Geel breiden hun R&D uit.", "farma"),
    ("Transportprijzen stijgen opnieuw door de kilometerheffing.", "logistiek"),
    ("AI-tools veranderen hoe kantoren offertes maken.", "AI"),
    ("Kempense gemeenten zoeken partners voor warmtenetten.", "energie"),
]
SUMMARIES = {
    "in_person": [
        "Koffie in Geel",
        "Lunch in Herentals",
        "Bezoek aan hun nieuwe kantoor",
        "Fietstocht langs het Netekanaal",
        "Ontbijtmeeting",
    ],
    "call": [
        "Even bijgepraat",
        "Vraag over een offerte",
        "Gefeliciteerd met de nieuwe job",
        "Afspraak ingepland",
        "Teruggebeld over de referentie",
    ],
    "email": [
        "Artikel doorgestuurd",
        "Bedankt voor de introductie",
        "Offerte opgevolgd",
        "Uitnodiging voor de clubavond",
    ],
    "message": [
        "LinkedIn-bericht na de beurs",
        "Felicitatie via LinkedIn",
        "Reactie op hun post",
        "Connectieverzoek opgevolgd",
    ],
    "small_group": [
        "Rondetafel over personeel",
        "Diner met vier ondernemers",
        "Werkgroep duurzaamheid",
    ],
    "other": ["Kaartje gestuurd", "Boek cadeau gedaan"],
}
ASK_TEXTS = [
    ("R&D-managers bij grote farmabedrijven in Limburg", "R&D-manager", "Farma", "Limburg"),
    ("HR-managers van bedrijven met meer dan 50 werknemers", "HR-manager", "", ""),
    ("een goede fiscalist voor een overname", "advocaat", "Advocatuur", ""),
    ("aankopers in de bouwsector in Turnhout", "aankoper", "Bouw", "Antwerpen"),
    ("CFO's van logistieke bedrijven", "CFO", "Logistiek", ""),
    ("marketingmanagers in retail", "marketingmanager", "Retail", ""),
    ("zaakvoerders van horecazaken in de Kempen", "zaakvoerder", "Horeca", "Antwerpen"),
    ("IT-managers in de zorg", "IT-manager", "Zorg", ""),
]


@dataclass
class _Human:
    """Somebody in the wider world; members' files hold their own copies of such people."""

    given: str
    particles: str
    surname: str
    email: str
    phone: str
    org: int
    role: str
    region: str
    birthday: dt.date | None
    interests: str
    linkedin: str
    member: int | None = None  # index of the club member this human is, if any


@dataclass
class _World:
    organisations: list[tuple[str, str, str, str]]  # name, sector, region, size
    places: list[str]  # where each organisation is
    competitors: list[tuple[int, int]]
    humans: list[_Human]
    by_org: dict[int, list[int]] = field(default_factory=dict)


def is_empty() -> bool:
    return not User.objects.exists()


def demo_login() -> str | None:
    """The organiser's e-mail address if the demo club is loaded."""
    user = (
        User.objects.filter(
            email__endswith=f"@{DEMO_DOMAIN}",
            memberships__role=Membership.Role.OWNER,
            memberships__workspace__kind=Workspace.Kind.CLUB,
        )
        .order_by("id")
        .first()
    )
    return user.email if user else None


@transaction.atomic
def erase_everything() -> None:
    """Empty the database (for `kring demo --replace`)."""
    Workspace.objects.all().delete()
    User.objects.all().delete()
    Organisation.objects.all().delete()


def _place(rng: random.Random, dutch: bool) -> tuple[str, str]:
    """A region and a place in it, for an organisation in Belgium or the Netherlands."""
    if dutch:
        region = rng.choice(sorted(PLACES_NL))
        return region, rng.choice(PLACES_NL[region])
    area = rng.choices([a for a, _ in WEIGHTS_BE], weights=[w for _, w in WEIGHTS_BE])[0]
    if area == "Kempen":
        return "Antwerpen", rng.choice(sorted(KEMPEN))
    places = [p for p in PLACES_BE[area] if area != "Antwerpen" or p not in KEMPEN]
    return area, rng.choice(places)


def _phone(rng: random.Random, dutch: bool, place: str) -> str:
    """A mobile number, or now and then the office's number in its Belgian telephone zone."""
    if dutch:
        return f"+31 6 {rng.randint(10000000, 59999999)}"  # mobiles are 06-1… to 06-5…
    zone = next((z[place] for z in PLACES_BE.values() if place in z), None)
    if zone is not None and rng.random() < 0.2:
        if len(zone) == 1:  # Antwerp (3) and Brussels (2): seven digits follow
            return f"+32 {zone} {rng.randint(200, 899)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        return f"+32 {zone} {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return (
        f"+32 4{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}"
    )


def _make_world(rng: random.Random, fakers: list[Faker], n_humans: int) -> _World:
    belgian, dutch_faker = fakers
    organisations: list[tuple[str, str, str, str]] = []
    places: list[str] = []
    seen = set()
    while len(organisations) < max(60, n_humans // 12):
        dutch = rng.random() < DUTCH_ORGANISATIONS
        region, place = _place(rng, dutch)
        if not dutch and rng.random() < 0.35:
            # Many a Kempen business carries its family's name and its town's.
            name = f"{belgian.last_name()} {place} {rng.choice(LEGAL_FORMS_BE)}"
        else:
            name = (dutch_faker if dutch else belgian).company()
        if name in seen:
            continue
        seen.add(name)
        places.append(place)
        organisations.append(
            (name, rng.choice(SECTORS), region, rng.choice(["1-9", "10-49", "50-249", "250+"]))
        )
    by_sector: dict[str, list[int]] = {}
    for i, (_, sector, _, _) in enumerate(organisations):
        by_sector.setdefault(sector, []).append(i)
    competitors = []
    for ids in by_sector.values():
        for _ in range(max(1, len(ids) // 4)):
            if len(ids) >= 2:
                a, b = rng.sample(ids, 2)
                competitors.append((min(a, b), max(a, b)))
    humans = []
    for _ in range(n_humans):
        org = rng.randrange(len(organisations))
        dutch = organisations[org][2] in PLACES_NL or rng.random() < DUTCH_AT_BELGIAN
        faker = dutch_faker if dutch else belgian
        given = faker.first_name()
        full_surname = faker.last_name()
        particles, surname = _split_surname(full_surname)
        domain = organisations[org][0].lower()
        domain = "".join(c for c in domain if c.isalnum())[:20] or "example"
        email = f"{_ascii(given)}.{_ascii(surname)}@{domain}.example"
        humans.append(
            _Human(
                given=given,
                particles=particles,
                surname=surname,
                email=email,
                phone=_phone(rng, dutch, places[org]),
                org=org,
                role=rng.choice(ROLES),
                region=organisations[org][2],
                birthday=dt.date(rng.randint(1955, 1998), rng.randint(1, 12), rng.randint(1, 28))
                if rng.random() < 0.4
                else None,
                interests=", ".join(rng.sample(INTERESTS, rng.randint(0, 3))),
                linkedin=f"https://www.linkedin.com/in/{_ascii(given)}-{_ascii(surname)}-"
                f"{rng.randint(1000, 9999)}",
            )
        )
    world = _World(organisations, places, sorted(set(competitors)), humans)
    for i, h in enumerate(humans):
        world.by_org.setdefault(h.org, []).append(i)
    return world


def _phone_label(human: int, world: _World) -> str:
    phone = world.humans[human].phone
    return "gsm" if phone.startswith(("+32 4", "+31 6")) else "kantoor"


def _choose_members(rng: random.Random, world: _World, n_members: int) -> list[int]:
    """The club's members: nine in ten run a business in the Kempen, the rest come from
    further away."""
    kempen = [i for i, h in enumerate(world.humans) if world.places[h.org] in KEMPEN]
    local = min(len(kempen), round(n_members * 0.9))
    members = rng.sample(kempen, local)
    chosen = set(members)
    others = [i for i in range(len(world.humans)) if i not in chosen]
    return members + rng.sample(others, n_members - local)


def _split_surname(full_surname: str) -> tuple[str, str]:
    parsed = split_name(f"X {full_surname}")
    return parsed.particles, parsed.surname or full_surname


def _ascii(text: str) -> str:
    from kring.core.names import fold

    return "".join(c for c in fold(text) if c.isalnum()) or "x"


def _moments(
    rng: random.Random, start: dt.datetime, end: dt.datetime, count: int, zone: ZoneInfo
) -> Iterator[dt.datetime]:
    """``count`` moments between ``start`` and ``end``, in business hours on a weekday on the
    clocks of ``zone``; never after ``end``."""
    span = (end - start).total_seconds()
    for _ in range(count):
        day = local_date(start + dt.timedelta(seconds=rng.random() * span), zone)
        clock_time = dt.time(rng.randint(8, 18), rng.choice([0, 15, 30, 45]))
        moment = at_local_time(day, clock_time, zone)
        while day.weekday() >= 5 or moment > end:
            day -= dt.timedelta(days=1)
            moment = at_local_time(day, clock_time, zone)
        yield moment


def load_demo_club(
    *, seed: int = 2026, members: int = 40, now: dt.datetime | None = None, progress: bool = False
) -> Workspace:
    """Create the demo club; returns its workspace. The organiser logs in with DEMO_PASSWORD."""
    now = now or clock.now()
    rng = random.Random(seed)
    fakers = [Faker("nl_BE"), Faker("nl_NL")]
    for i, faker in enumerate(fakers):
        faker.seed_instance(seed + i)
    world = _make_world(rng, fakers, n_humans=max(800, members * 200))
    with transaction.atomic():
        workspace = _load(rng, world, members, now, progress)
    refresh_statistics()
    return workspace


def _say(progress: bool, text: str) -> None:
    if progress:
        print(f"  {text}", flush=True)


def _load(
    rng: random.Random, world: _World, n_members: int, now: dt.datetime, progress: bool
) -> Workspace:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow by design
    member_humans = _choose_members(rng, world, n_members)
    users = []
    emails: set[str] = set()
    for index, h in enumerate(member_humans):
        human = world.humans[h]
        human.member = index
        email = f"{_ascii(human.given)}.{_ascii(human.surname)}@{DEMO_DOMAIN}"
        if email in emails:  # namesakes get a number
            email = email.replace("@", f"{index}@")
        emails.add(email)
        # Members appear in each other's files under their own address, so the pooled network
        # knows them as one person (kring.network).
        human.email = email
        users.append(
            User(
                email=email,
                username=email,
                password=password,
                display_name=f"{human.given} {human.particles} {human.surname}".replace("  ", " "),
                # The organiser (the demo login) and most members speak Dutch.
                language="en" if index % 5 == 4 else "nl",
                country="BE" if human.phone.startswith("+32") else "NL",
                weekly_budget_minutes=rng.choice([60, 90, 120, 180]),
                # The club's member profile; the seating spreads sectors and colleagues.
                organisation=world.organisations[human.org][0],
                sector=world.organisations[human.org][1],
                # The "how you can help me" card, from the sector (no draw: the seed's
                # networks stay as they were).
                offer=OFFERS.get(world.organisations[human.org][1], ""),
                seeking=SEEKING.get(world.organisations[human.org][1], ""),
            )
        )
    users = User.objects.bulk_create(users)
    _say(progress, f"{len(users)} members")

    club = Workspace.objects.create(name=CLUB_NAME, kind=Workspace.Kind.CLUB)
    personal = Workspace.objects.bulk_create(
        [Workspace(name=u.display_name, kind=Workspace.Kind.PERSONAL) for u in users]
    )
    memberships = [
        Membership(workspace=w, user=u, role=Membership.Role.OWNER)
        for w, u in zip(personal, users, strict=True)
    ]
    for i, u in enumerate(users):
        role = (
            Membership.Role.OWNER
            if i == 0
            else (Membership.Role.ADMIN if i in (1, 2) else Membership.Role.MEMBER)
        )
        memberships.append(Membership(workspace=club, user=u, role=role))
    Membership.objects.bulk_create(memberships)

    start = now - dt.timedelta(days=548)  # 18 months
    # The club met before it kept its dinners in Kring; members remember those evenings as
    # events with a few members each. The last year's dinners are meetings (kring.demo.life).
    zone = clock.zone_of(club)
    evenings = [local_date(start, zone) + dt.timedelta(days=30 * k + 10) for k in range(18)]
    meetings = [at_local_time(day, dt.time(19), zone) for day in evenings]
    meetings = [m for m in meetings if m < now]

    totals = {"people": 0, "interactions": 0}
    first_dinner = club_dinners(now, zone)[0]
    for index, user in enumerate(users):
        _load_member(
            rng, world, user, index, member_humans, club, meetings, first_dinner, start, now, totals
        )
        if progress and (index + 1) % 10 == 0:
            _say(
                progress,
                f"{index + 1} members' networks ({totals['people']} people, "
                f"{totals['interactions']} interactions)",
            )
    outsiders = [h for h in world.humans if h.member is None]
    year = load_club_year(
        rng,
        club=club,
        users=users,
        contacts=[
            (
                f"{h.given} {h.particles} {h.surname} ({world.organisations[h.org][0]})".replace(
                    "  ", " "
                ),
                f"{h.email} · {h.phone}",
            )
            for h in rng.sample(outsiders, min(len(outsiders), 600))
        ],
        now=now,
    )
    _say(
        progress,
        f"{len(year.meetings)} dinners, {year.referrals} referrals, {year.one_to_ones} "
        f"one-to-ones, {year.conversations} conversations logged",
    )
    audit_record(actor=users[0], action=AuditEntry.Action.CREATE, instance=club, via="demo")
    return club


def _load_member(
    rng: random.Random,
    world: _World,
    user: User,
    index: int,
    member_humans: list[int],
    club: Workspace,
    meetings: list[dt.datetime],
    first_dinner: dt.datetime,
    start: dt.datetime,
    now: dt.datetime,
    totals: dict[str, int],
) -> None:
    me = world.humans[member_humans[index]]
    zone = clock.zone_of(club)
    size = rng.randint(150, 600)
    others = [h for h in member_humans if h != member_humans[index]]
    # Contacts cluster: colleagues of one's own organisation, one's region, one's sector.
    pool = set(others)
    region_pool = [i for i, h in enumerate(world.humans) if h.region == me.region]
    rng.shuffle(region_pool)
    pool.update(region_pool[: size // 3])
    while len(pool) < size:
        pool.add(rng.randrange(len(world.humans)))
    pool.discard(member_humans[index])
    contacts = sorted(pool)

    org_ids = sorted({world.humans[h].org for h in contacts})
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                owner=user,
                name=world.organisations[o][0],
                sector=world.organisations[o][1],
                region=world.organisations[o][2],
                size=world.organisations[o][3],
                website=f"https://www.{_ascii(world.organisations[o][0])[:20]}.example",
            )
            for o in org_ids
        ]
    )
    org_by_world = dict(zip(org_ids, orgs, strict=True))
    through = Organisation.competes_with.through
    links = []
    for a, b in world.competitors:
        if a in org_by_world and b in org_by_world:
            links.append(
                through(from_organisation=org_by_world[a], to_organisation=org_by_world[b])
            )
            links.append(
                through(from_organisation=org_by_world[b], to_organisation=org_by_world[a])
            )
    through.objects.bulk_create(links)

    tags = Tag.objects.bulk_create(
        [
            Tag(owner=user, name=n)
            for n in ("klant", "prospect", "leverancier", "club", "partner", "mentor")
        ]
    )
    people = []
    for h in contacts:
        human = world.humans[h]
        org = world.organisations[human.org]
        people.append(
            Person(
                owner=user,
                given_name=human.given,
                particles=human.particles,
                surname=human.surname,
                sort_name=sort_key(human.given, human.particles, human.surname),
                linkedin_url=human.linkedin if rng.random() < 0.7 else "",
                title=human.role,
                organisation=org_by_world[human.org],
                sector=org[1],
                region=human.region,
                languages=rng.choice(["nl", "nl, en", "nl, fr, en", "nl, de"]),
                birthday=human.birthday,
                interests=human.interests,
                hobbies=rng.choice(
                    ["", "", "marathon", "zingt in een koor", "imker", "restaureert oldtimers"]
                ),
                family_notes=rng.choice(
                    [
                        "",
                        "",
                        "",
                        "twee kinderen",
                        "dochter studeert in Leuven",
                        "getrouwd met een arts",
                    ]
                ),
            )
        )
    BulkTable(Person, PERSON_COLUMNS).create(people)
    totals["people"] += len(people)
    BulkTable(ContactPoint, ["person_id", "kind", "value", "label"]).insert(
        [
            row
            for p, h in zip(people, contacts, strict=True)
            for row in (
                (p.pk, "email", world.humans[h].email, "werk"),
                (p.pk, "phone", world.humans[h].phone.replace(" ", ""), _phone_label(h, world)),
            )
        ]
    )
    person_tags = Person.tags.through
    person_tags.objects.bulk_create(
        [person_tags(person=p, tag=rng.choice(tags)) for p in people if rng.random() < 0.3],
        batch_size=2000,
    )

    relationships = []
    tiers = []
    for p, h in zip(people, contacts, strict=True):
        is_member = world.humans[h].member is not None
        roll = rng.random()
        tier = (
            Tier.A
            if roll < 0.10 or (is_member and roll < 0.3)
            else (Tier.B if roll < 0.6 else Tier.C)
        )
        tiers.append(tier)
        relationships.append(
            Relationship(
                owner=user,
                person=p,
                tier=tier,
                how_met="clubavond" if is_member else rng.choice(HOW_MET),
                private_notes=rng.choice(
                    [
                        "",
                        "",
                        "Houdt van directe communicatie.",
                        "Beslist traag; geduld.",
                        "Vraagt altijd naar referenties.",
                        "Kent iedereen in de regio.",
                    ]
                ),
            )
        )
    BulkTable(Relationship, ["owner_id", "person_id", "tier", "how_met", "private_notes"]).create(
        relationships
    )
    shares = []
    for r in relationships:
        roll = rng.random()
        if roll < 0.35:
            shares.append(Share(relationship=r, workspace=club, level=ShareLevel.NAME_ROLE))
        elif roll < 0.65:
            shares.append(Share(relationship=r, workspace=club, level=ShareLevel.ORGANISATION))
    Share.objects.bulk_create(shares, batch_size=2000)

    interactions: list[Interaction] = []
    participants: list[list[Person]] = []
    cadence = {Tier.A: (14, 35), Tier.B: (60, 120), Tier.C: (200, 500)}
    for p, tier in zip(people, tiers, strict=True):
        low, high = cadence[tier]
        count = max(0, int(548 / rng.randint(low, high) + rng.random() - 0.3))
        for moment in _moments(rng, start, now - dt.timedelta(hours=2), count, zone):
            channel = rng.choices(
                [
                    Channel.IN_PERSON,
                    Channel.CALL,
                    Channel.EMAIL,
                    Channel.MESSAGE,
                    Channel.SMALL_GROUP,
                    Channel.OTHER,
                ],
                weights=[20, 25, 25, 20, 7, 3],
            )[0]
            by = rng.choices(["me", "them", "both"], weights=[50, 40, 10])[0]
            answered = None
            if channel in (Channel.EMAIL, Channel.MESSAGE) and by == "me":
                answered = rng.random() < 0.8
            minutes = {
                Channel.IN_PERSON: rng.choice([5, 15, 30, 60]),
                Channel.CALL: rng.choice([5, 5, 10, 20]),
                Channel.SMALL_GROUP: rng.choice([60, 90, 120]),
            }.get(channel, 5)
            interactions.append(
                Interaction(
                    owner=user,
                    occurred_at=moment,
                    channel=channel,
                    minutes=minutes,
                    initiated_by=by,
                    answered=answered,
                    summary=rng.choice(SUMMARIES[channel]) if rng.random() < 0.7 else "",
                )
            )
            participants.append([p])
    member_people = [
        p for p, h in zip(people, contacts, strict=True) if world.humans[h].member is not None
    ]
    for meeting in meetings:
        if rng.random() < 0.85 and member_people:
            table = rng.sample(member_people, min(len(member_people), rng.randint(3, 7)))
            if meeting >= first_dinner:
                # Drawn all the same, so that a seed gives the networks it always gave.
                continue
            interactions.append(
                Interaction(
                    owner=user,
                    occurred_at=meeting,
                    channel=Channel.EVENT,
                    minutes=150,
                    initiated_by="both",
                    summary=f"Clubavond {CLUB_NAME}",
                )
            )
            participants.append(table)
    BulkTable(Interaction, INTERACTION_COLUMNS).create(interactions)
    totals["interactions"] += len(interactions)
    BulkTable(Interaction.people.through, ["interaction_id", "person_id"]).insert(
        [(i.pk, p.pk) for i, group in zip(interactions, participants, strict=True) for p in group]
    )

    today = local_date(now, zone)
    favours = []
    for _ in range(rng.randint(10, 30)):
        p = rng.choice(people)
        kind = rng.choice(["referral", "introduction", "information", "advice", "other"])
        favours.append(
            Favour(
                owner=user,
                person=p,
                direction=rng.choice(["given", "received"]),
                kind=kind,
                value_eur=Decimal(rng.choice([500, 1500, 4000, 12000]))
                if kind == "referral"
                else None,
                occurred_on=today - dt.timedelta(days=rng.randint(0, 540)),
            )
        )
    Favour.objects.bulk_create(favours)

    text, role, sector, region = ASK_TEXTS[index % len(ASK_TEXTS)]
    asks = [
        Ask(
            owner=user,
            text=text,
            role=role,
            sector=sector,
            region=region,
            valid_from=today - dt.timedelta(days=rng.randint(0, 20)),
            valid_to=today + dt.timedelta(days=rng.randint(10, 30)),
        )
    ]
    for p in rng.sample(people, 3):
        text, role, sector, region = rng.choice(ASK_TEXTS)
        asks.append(
            Ask(
                owner=user,
                person=p,
                text=text,
                role=role,
                sector=sector,
                region=region,
                valid_from=today - dt.timedelta(days=rng.randint(0, 20)),
                valid_to=today + dt.timedelta(days=rng.randint(5, 40)),
            )
        )
    Ask.objects.bulk_create(asks)

    notes = IntelligenceNote.objects.bulk_create(
        [
            IntelligenceNote(
                owner=user,
                person=rng.choice(people),
                text=text,
                noted_on=today - dt.timedelta(days=rng.randint(0, 540)),
            )
            for text, _ in rng.sample(NOTE_TOPICS, rng.randint(4, 8))
        ]
    )
    note_tags = {
        name: Tag.objects.get_or_create(owner=user, name=name)[0] for _, name in NOTE_TOPICS
    }
    topic_by_text = dict(NOTE_TOPICS)
    IntelligenceNote.tags.through.objects.bulk_create(
        [
            IntelligenceNote.tags.through(intelligencenote=n, tag=note_tags[topic_by_text[n.text]])
            for n in notes
        ]
    )
