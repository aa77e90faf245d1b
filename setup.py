"""The package map: the repository's top-level folders installed under one import name, ``nnref``.

    reference/    -> nnref.reference
    symbolic/     -> nnref.symbolic
    conformance/  -> nnref.conformance
    api/          -> nnref (the public API and the version)

Everything else (metadata, dependencies, entry points) is in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = ("reference", "symbolic", "conformance")

packages = ["nnref"]
package_dir = {"nnref": "api"}
for folder in FOLDERS:
    for name in [folder, *(f"{folder}.{p}" for p in find_packages(folder))]:
        packages.append(f"nnref.{name}")
        package_dir[f"nnref.{name}"] = name.replace(".", "/")

setup(packages=packages, package_dir=package_dir)
