"""The rules of complaints, shared by the views, the tasks and the tests: intake (public and
staff), handling (triage, assignment, status steps, resolution, appeal, data update), service
levels and escalation, and the pattern figures."""
