"""Accounts, roles, sessions, audit and pseudonyms of the people who use Unveil.

The web app is the main user of this package, the ``unveil user`` command the other:

- ``roles``: the four roles and the permissions each one holds (the one table of who may do what);
- ``passwords``, ``users``: argon2-hashed accounts in the workspace database;
- ``sessions``: server-side login sessions (the cookie holds only a random token);
- ``throttle``: login rate limiting;
- ``audit``: who saw or searched what, and when;
- ``pseudonyms``: identifiers masked consistently with a key, for analysts.
"""
