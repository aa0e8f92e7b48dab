"""编辑台 (pufa studio): a local web console where staff edit data through forms generated from the
content schemas, preview with the real renderers, and publish after a second person's review.

Nothing outside this package imports it; it imports content/, site/, campaign/ and errors.
"""
