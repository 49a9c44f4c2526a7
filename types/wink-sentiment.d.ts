/** wink-sentiment ships no types: the part of its API the intake uses. */
declare module 'wink-sentiment' {
  interface SentimentResult {
    score: number;
    normalizedScore: number;
  }
  function sentiment(phrase: string): SentimentResult;
  export = sentiment;
}
