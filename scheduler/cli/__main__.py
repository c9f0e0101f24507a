"""`python -m scheduler.cli VERB ...`: the `scrutiny` command."""

from scheduler.cli import main

raise SystemExit(main())
