// Each file registers the describer for one kind.
export {};
