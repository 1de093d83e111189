"""`python -m audiobook`: the same as the `audiobook` command."""

from .cli import main

raise SystemExit(main())
