"""`python -m audiobook`: the same as the `audiobook` command."""

from audiobook.cli.app import main

raise SystemExit(main())
