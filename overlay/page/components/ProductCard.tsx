/**
 * The product card. All room text goes in as text children (never markup). A missing or broken
 * image leaves a clean text-only card: the image stays invisible until it has loaded.
 */
import { useState } from 'preact/hooks';
import type { Product, RoomInfo } from '../../../shared/domain.js';
import { formatCount, formatMoney } from '../../../shared/money.js';
import { unitWeightKg } from '../unit-weight.js';
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
}

export function ProductCard({
  product,
  info,
  words,
  extras,
  leaving,
  onLeft,
}: {
  product: Product;
  info: RoomInfo;
  words: Words;
  extras: CardExtras;
  leaving: boolean;
  onLeft: () => void;
}) {
  const { currency, locale } = info;
  const perUnitKg = extras.weight ? unitWeightKg(product.unit) : null;
  const meta = [product.origin, product.unit].filter(Boolean).join(' · ');
  const discounted = product.originalPriceMinor !== null && product.originalPriceMinor > product.priceMinor;
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
          {product.stock !== null && <StockBar remaining={product.stock} sold={product.sold} locale={locale} label={words.left} />}
        </div>
        {(extras.revenue || perUnitKg !== null) && (
          <div class="stats">
            {extras.revenue && (
              <span data-part="revenue">
                {words.revenue} {formatMoney(product.revenueMinor, currency, locale)}
              </span>
            )}
            {perUnitKg !== null && (
              <span data-part="weight-sold">
                {words.weight} {formatCount(perUnitKg * product.sold, locale)} kg
              </span>
            )}
          </div>
        )}
      </div>
      {product.soldOut && (
        <div class="stamp" data-part="sold-out">
          <span>{words.soldOut}</span>
        </div>
      )}
    </section>
  );
}
