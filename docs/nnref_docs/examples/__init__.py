"""Small implementations the docs check at build time to show real reports."""
