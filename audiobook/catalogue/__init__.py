"""A whole shelf of books built into an Audiobookshelf library: shelf, layout, report, run."""
