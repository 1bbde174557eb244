"""Identity: accounts, emailed links, passwords, the second factor, sessions and roles."""
