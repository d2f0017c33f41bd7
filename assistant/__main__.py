"""`python -m assistant` runs the checkin command line."""

from assistant.cli import main

raise SystemExit(main())
