"""The shipped default catalog: the curated task catalog and the seed documents."""
