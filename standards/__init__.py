"""Standards shipped with planchecker: one TOML file per standard (installed as planchecker.standard_files)."""
