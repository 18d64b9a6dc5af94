import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import * as bcrypt from 'bcryptjs';
import { randomBytes } from 'crypto';
import { User } from './user.entity';

export interface AuthUser {
  id: number;
  email: string;
  displayName: string;
  role: string;
}

@Injectable()
export class AuthService {
  private readonly tokens = new Map<string, AuthUser>();

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async register(email: string, password: string, displayName: string, role = 'student'): Promise<AuthUser> {
    const existing = await this.users.findOne({ where: { email } });
    if (existing) throw new ConflictException('Email already registered');
    const user = await this.users.save(this.users.create({ email, displayName, role, passwordHash: bcrypt.hashSync(password, 10) }));
    return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
  }

  async login(email: string, password: string): Promise<{ accessToken: string; user: AuthUser }> {
    const user = await this.users.findOne({ where: { email } });
    if (!user || !bcrypt.compareSync(password, user.passwordHash)) throw new UnauthorizedException('Invalid credentials');
    const accessToken = randomBytes(32).toString('hex');
    const authUser = { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
    this.tokens.set(accessToken, authUser);
    return { accessToken, user: authUser };
  }

  validate(token: string): AuthUser | undefined {
    return this.tokens.get(token);
  }

  logout(token: string) {
    this.tokens.delete(token);
  }
}
