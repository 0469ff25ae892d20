"""Platform adapters: one module per export format, each turning files into canonical rows."""
