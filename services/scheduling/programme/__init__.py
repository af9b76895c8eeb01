"""The programme of an event: its rooms, tracks, speakers and sessions as
organisers edit them (the work in progress), the conflict rules, and the
released versions the public reads."""
