-- One database per service: nobody reads another service's tables.
CREATE DATABASE eventi_scheduling;
CREATE DATABASE eventi_registration;
CREATE DATABASE eventi_notifications;
