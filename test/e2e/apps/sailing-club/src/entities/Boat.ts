import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type BoatStatus = 'afloat' | 'ashore' | 'repair';

@Entity({ name: 'boats' })
export class Boat {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  name: string;

  @Column({ name: 'boat_class' })
  boatClass: string;

  @Column({ default: 'afloat' })
  status: BoatStatus;

  @Column({ type: 'text', nullable: true })
  photo: string | null;
}
