import sys

from kring.cli.main import main

sys.exit(main())
