"""Developer tools kept beside the package, never shipped in it."""
