"""evaluations: pre-course, post-course and follow-up questionnaires built from
editable, versioned templates; the certificates they unlock; anonymous equal
opportunities monitoring; and the evaluation reports (statistics.py, report.py)."""
