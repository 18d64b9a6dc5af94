import { AppDataSource } from '../data-source';
import { Member } from '../entities/Member';
import { checkPassword, hashPassword } from '../lib/passwords';
import { HttpError } from '../middleware/errorHandler';

export interface PublicMember {
  id: number;
  name: string;
  email: string;
}

const toPublic = (member: Member): PublicMember => ({ id: member.id, name: member.name, email: member.email });

export class MemberService {
  private get members() {
    return AppDataSource.getRepository(Member);
  }

  async signup(name: string, email: string, password: string): Promise<PublicMember> {
    const existing = await this.members.findOneBy({ email });
    if (existing) throw new HttpError(409, 'that address is already a member');
    const { hash, salt } = hashPassword(password);
    const member = await this.members.save(this.members.create({ name, email, passwordHash: hash, salt }));
    return toPublic(member);
  }

  async authenticate(email: string, password: string): Promise<PublicMember | null> {
    const member = await this.members.findOneBy({ email });
    if (!member || !checkPassword(password, member.salt, member.passwordHash)) return null;
    return toPublic(member);
  }

  async byId(id: number): Promise<PublicMember | null> {
    const member = await this.members.findOneBy({ id });
    return member ? toPublic(member) : null;
  }
}

export const memberService = new MemberService();
