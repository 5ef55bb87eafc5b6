-- Where a meeting's carried items came from: the previous agenda as the run that prepared the meeting
-- found it (its title, address and date), and whether people made it by hand and the Worker took it
-- over (the pair's first agenda, carrying from the notes the team already kept) or the Worker made it.
-- Null for a meeting with no previous agenda, and for meetings prepared before this was kept.
ALTER TABLE meetings ADD COLUMN previous_agenda_title TEXT;
ALTER TABLE meetings ADD COLUMN previous_agenda_url TEXT;
ALTER TABLE meetings ADD COLUMN previous_agenda_date TEXT;
ALTER TABLE meetings ADD COLUMN previous_agenda_taken_over INTEGER;
