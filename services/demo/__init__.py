"""The demo's participants: a one-shot process that, once `make run` has the
system up, fills the seeded events with registration-side data through the
public and organiser HTTP APIs, as people and an organiser would (the
congress's categories and custom fields, some dozens of fictitious
registrations, workshop sign-ups, check-ins). It imports no service: it is a
client, so the demo also shows the APIs work end to end."""
