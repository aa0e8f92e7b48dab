"""pufa: build a legal-education site, slides and posts from one set of Markdown and YAML."""

__version__ = "0.1.0"
