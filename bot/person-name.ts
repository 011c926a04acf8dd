import { getGender, incline } from 'lvovich';

/** As Bitrix24's user.get gives PERSONAL_GENDER: `M`, `F`, or nothing. */
export type Gender = 'M' | 'F';

/** Someone the bot names in a sentence: the name as the portal spells it, and the gender the verb agrees with. */
export interface Person {
  name: string;
  gender: Gender | null;
}

export type NameCase = 'genitive' | 'dative';

const CYRILLIC = /[а-яё]/i;

function split(name: string): { first: string; last?: string } {
  const [first, ...rest] = name.trim().split(/\s+/);
  return rest.length > 0 ? { first, last: rest.join(' ') } : { first };
}

/**
 * The person's gender: the portal's own field when set, else guessed from the name by lvovich
 * (a maintained library for Russian names). Null when the name does not tell (Саша, John):
 * the texts then use a phrasing without a gendered verb.
 */
export function personOf(name: string, portalGender: string | null | undefined): Person {
  if (portalGender === 'M' || portalGender === 'F') return { name, gender: portalGender };
  const guessed = CYRILLIC.test(name) ? getGender(split(name)) : null;
  return { name, gender: guessed === 'male' ? 'M' : guessed === 'female' ? 'F' : null };
}

/** The name in a Russian case ("для Павла Соколова"); names in Latin letters stay as written. */
export function nameIn(p: Person, nameCase: NameCase): string {
  if (!CYRILLIC.test(p.name)) return p.name;
  const parts = split(p.name);
  const gender = p.gender === 'M' ? 'male' : p.gender === 'F' ? 'female' : undefined;
  const inclined = incline({ ...parts, ...(gender ? { gender } : {}) }, nameCase);
  return [inclined.first, inclined.last].filter(Boolean).join(' ');
}

/** The past-tense ending a Russian verb takes after this person: назначил / назначила. */
export const pastEnding = (p: Person): string => (p.gender === 'F' ? 'а' : '');

/** An employee row as the texts name them. */
export const personOfEmployee = (e: { name: string; gender?: Gender | null }): Person => personOf(e.name, e.gender ?? null);
