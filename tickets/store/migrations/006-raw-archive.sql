-- Raw sources of incoming mail are appended to segment files (connectors/mail/raw-archive.ts)
-- instead of a file each; a message names its source by segment, offset and length. Messages
-- stored before this keep their source as a content-addressed blob named by raw_sha256.
alter table messages add column raw_ref text;
