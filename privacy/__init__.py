"""UK GDPR: the retention policy and the job that anonymises people past it,
erasure requests, subject access downloads, and the privacy notice and
accessibility statement pages."""
