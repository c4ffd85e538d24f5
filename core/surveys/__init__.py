"""Survey cycles (SKM): questionnaires, collection, tallies and scores."""
