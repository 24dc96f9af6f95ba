"""The store's schema revisions, oldest first (``rev_0001_initial`` creates everything)."""
