import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Boat } from './Boat';
import { Member } from './Member';

@Entity({ name: 'reservations' })
export class Reservation {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'member_id' })
  memberId: number;

  @ManyToOne(() => Member, (member) => member.reservations)
  @JoinColumn({ name: 'member_id' })
  member: Member;

  @Column({ name: 'boat_id' })
  boatId: number;

  @ManyToOne(() => Boat)
  @JoinColumn({ name: 'boat_id' })
  boat: Boat;

  @Column({ type: 'date' })
  day: string;

  @Column({ name: 'launch_number' })
  launchNumber: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
