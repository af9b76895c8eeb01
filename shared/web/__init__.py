"""What the three services' web layers share; the only part of shared/ that
imports Flask. `context` (the request's service, transaction and organiser)
is imported by every other module here and imports none of them."""
