"""Profile page text to submission documents: page layouts, sentence forms, lists."""
