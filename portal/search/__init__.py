"""Full-text search for the whole portal: one analysis pipeline, two database backends.

The FAQ, the service catalogue and anything else index documents under a `kind`;
`selectors.search_run` finds them again with Russian morphology, typo tolerance,
wrong-keyboard-layout recovery and editor-maintained synonyms.
"""
