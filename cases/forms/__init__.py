"""Forms for the cases screens. They parse and validate input; services do the writing."""
