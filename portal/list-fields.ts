// Fields the client cabinet's API and the operator panel's API share: their lists are searched
// and paged the same way, and a mail's attachments are listed alike. Plain zod, bundled into the
// browser too.
import { z } from 'zod';

/** Words to look for (number, subject, sender, text). */
export const searchText = z.string().trim().max(200).optional();
/** A page of a list paged on the server. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).default(1);
/** How many rows a page holds. */
export const pageSize = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const ThreadAttachment = z.object({ index: z.number(), filename: z.string(), size: z.number(), downloadable: z.boolean() });
