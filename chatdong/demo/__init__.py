"""Demo and benchmark data: `manage.py seed_demo` (은평구 demo) and `manage.py generate_city`."""
