"""Notifications: e-mails with calendar invitations, the delivery log."""
