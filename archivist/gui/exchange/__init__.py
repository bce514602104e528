"""Export and import dialogs, and PDF printing of the finding aid (Qt)."""
