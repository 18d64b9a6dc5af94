import { gym } from '@/lib/config';

export default function Home() {
  return (
    <main>
      <h1>{gym.name}</h1>
      <p>Weekdays {gym.openingHours.weekdays}, weekends {gym.openingHours.weekends}.</p>
    </main>
  );
}
