"""``python -m unveil``: the same as the ``unveil`` command."""

from unveil.cli import main

main()
