"""elearning: to be built by its own issue."""
