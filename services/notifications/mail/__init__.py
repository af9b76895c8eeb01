"""E-mail: templates rendered in the reader's language, MIME bytes, the
queued delivery rows, SMTP sending and the embedded mail catcher."""
