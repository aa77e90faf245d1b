"""Conventions an implementation declares: the registry and each convention's module."""
