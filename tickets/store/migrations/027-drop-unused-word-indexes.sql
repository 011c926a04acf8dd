-- 014's word indexes of subjects and mail bodies: every search now goes through each ticket's
-- search vector (021: subject and every mail both ways) — the cabinet since 021, the panel's
-- queue since 023. Nothing reads them any more, and every ticket and mail written paid for them
-- (a GIN entry per word of every mail body).
drop index if exists tickets_subject_words;
drop index if exists messages_body_words;
