"""Reading and writing files: YAML with positions, loaders, ledgers, schemas."""
