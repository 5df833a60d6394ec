"""Program reports: SQL aggregates from each app's query functions, SVG charts, CSV tables."""
