"""Use cases shared by the UI and the CLI; each long one takes a progress callback and a cancel token."""
