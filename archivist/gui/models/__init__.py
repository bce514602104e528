"""Qt item models over store functions (no SQL here, no widgets)."""
