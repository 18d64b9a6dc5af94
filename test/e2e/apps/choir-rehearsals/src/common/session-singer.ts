import { VoicePart } from './voice-parts';

export interface SessionSinger {
  id: number;
  email: string;
  name: string;
  voicePart: VoicePart;
  role: 'singer' | 'conductor';
}

declare module 'fastify' {
  interface Session {
    singer?: SessionSinger;
  }
}
