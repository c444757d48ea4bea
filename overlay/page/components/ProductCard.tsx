/**
 * The product card. All room text goes in as text children (never markup). A missing or broken
 * image leaves a clean text-only card: the image stays invisible until it has loaded.
 */
import { useState } from 'preact/hooks';
import type { Product, RoomInfo } from '../../../shared/domain.js';
import { formatMoney, formatWeight } from '../../../shared/money.js';
import { harvestText } from '../harvest-date.js';
import { cardWeightGrams } from '../unit-weight.js';
import type { Words } from '../words.js';
import { SoldCount } from './SoldCount.js';
import { StockBar } from './StockBar.js';

function ProductImage({ url }: { url: string }) {
  const [status, setStatus] = useState<'loading' | 'loaded' | 'failed'>('loading');
  if (status === 'failed') return null;
  return (
    <div class="media" data-part="image" data-status={status}>
      <img src={url} alt="" decoding="async" referrerpolicy="no-referrer" onLoad={() => setStatus('loaded')} onError={() => setStatus('failed')} />
    </div>
  );
}

export interface CardExtras {
  revenue: boolean;
  weight: boolean;
  lang: string;
  /** The traceability QR (qr=0 turns it off); room and token name the relay's image of it. */
  qr: boolean;
  room: string;
  token: string;
}

/**
 * Made by the relay (overlay/relay/trace-qr.ts): no QR encoder in this bundle. `u` changes
 * the address when the trace URL does, so the browser's image cache never shows the old code.
 */
function TraceQr({ product, extras, label }: { product: Product; extras: CardExtras; label: string }) {
  const q = new URLSearchParams({ token: extras.token, u: product.traceUrl ?? '' });
  return (
    <figure class="qr">
      <img data-part="trace-qr" alt={label} src={`/api/rooms/${encodeURIComponent(extras.room)}/products/${encodeURIComponent(product.id)}/trace.svg?${q}`} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export function ProductCard({
  product,
  info,
  words,
  extras,
  roomGrams,
  leaving,
  onLeft,
}: {
  product: Product;
  info: RoomInfo;
  words: Words;
  extras: CardExtras;
  /** The room's weight sold (shared/weight-sold.ts), shown beside the product's with stats=weight. */
  roomGrams: number;
  leaving: boolean;
  onLeft: () => void;
}) {
  const { currency, locale } = info;
  const grams = extras.weight ? cardWeightGrams(product) : null;
  // The room's line only when other products add to it: the same figure twice reads as a mistake.
  const roomWeight = extras.weight && roomGrams > 0 && roomGrams !== grams;
  const meta = [product.origin, product.unit].filter(Boolean).join(' · ');
  const { grade, harvestDate, producer } = product;
  const discounted = product.originalPriceMinor !== null && product.originalPriceMinor > product.priceMinor;
  // Selling on presale (issue 17): no stock left, not sold out (the reducer keeps soldOut so).
  const presale = product.stock === 0 && !product.soldOut ? product.presale : null;
  // The bar shows what is left to sell: the presale's quota while it runs (none without a limit), else the stock.
  const bar = presale ? presale.quota !== null && [presale.quota - presale.sold, presale.sold] : product.stock !== null && [product.stock, product.sold];
  return (
    <section
      class={`card${product.soldOut ? ' is-sold-out' : ''}`}
      data-part="card"
      data-state={leaving ? 'leaving' : 'shown'}
      data-product-id={product.id}
      onAnimationEnd={(e) => {
        if (leaving && e.target === e.currentTarget) onLeft();
      }}
    >
      {product.imageUrl && <ProductImage key={product.imageUrl} url={product.imageUrl} />}
      <div class="body">
        <h1 class="name" data-part="product-name">
          {product.name}
        </h1>
        {meta && (
          <p class="meta" data-part="meta">
            {meta}
          </p>
        )}
        {(grade || harvestDate) && (
          <p class="farm">
            {grade && (
              <span class="grade" data-part="grade">
                {grade}
              </span>
            )}
            {harvestDate && <span data-part="harvest-date">{harvestText(harvestDate, words.harvested, extras.lang)}</span>}
          </p>
        )}
        {/* Its own line: a cooperative's full name is what an official looks for, so it is not cut for the date. */}
        {producer && (
          <p class="meta" data-part="producer">
            {producer}
          </p>
        )}
        {product.tagline && (
          <p class="tagline" data-part="tagline">
            {product.tagline}
          </p>
        )}
        <div class="price-row">
          <span class="price" data-part="price">
            {formatMoney(product.priceMinor, currency, locale)}
          </span>
          {discounted && (
            <s class="was" data-part="original-price">
              {formatMoney(product.originalPriceMinor ?? 0, currency, locale)}
            </s>
          )}
        </div>
        <div class="live">
          <SoldCount value={product.sold} locale={locale} label={words.sold} />
          {bar && <StockBar remaining={bar[0]!} sold={bar[1]!} locale={locale} label={words.left} />}
        </div>
        {/* In place of the sold-out stamp: the grade's pill, in the price's colour. */}
        {presale && (
          <p class="farm">
            <span class="grade presale" data-part="presale">
              {harvestText(presale.shipBy, words.presaleShips, extras.lang)}
            </span>
          </p>
        )}
        {(extras.revenue || grams !== null || roomWeight) && (
          <div class="stats">
            {extras.revenue && (
              <span data-part="revenue">
                {words.revenue} {formatMoney(product.revenueMinor, currency, locale)}
              </span>
            )}
            {grams !== null && (
              <span class="weight" data-part="weight-sold">
                {words.weight} {formatWeight(grams, extras.lang, words)}
              </span>
            )}
            {roomWeight && (
              <span data-part="room-weight">
                {words.roomWeight} {formatWeight(roomGrams, extras.lang, words)}
              </span>
            )}
          </div>
        )}
      </div>
      {extras.qr && product.traceUrl && <TraceQr product={product} extras={extras} label={words.traceQr} />}
      {product.soldOut && (
        <div class="stamp" data-part="sold-out">
          <span>{words.soldOut}</span>
        </div>
      )}
    </section>
  );
}
