"""Registration's HTML pages: the participant's, the change page behind the
secret link, the organisers' and the check-in desk."""
